namespace MetaJit.Examples.Brainfuck;

/// <summary>Command-line entry shared by the standalone runner and <c>metajit bf</c>.</summary>
public static class BfMain
{
    /// <summary>Loads, compiles and runs a program file; returns the process exit code
    /// (0 ok, 1 program error, 2 missing file).</summary>
    public static int Run(string path, Stream stdin, Stream stdout, TextWriter stderr)
    {
        if (!File.Exists(path))
        {
            stderr.WriteLine($"metajit: bf: no such file: {path}");
            return 2;
        }
        try
        {
            var program = BfProgram.Parse(File.ReadAllText(path), path);
            return BfInterpreter.Run(program, new BfIo(stdin, stdout));
        }
        catch (BfSyntaxError e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }
        catch (BfRuntimeError e)
        {
            stderr.WriteLine($"{path}: error: {e.Message}");
            return 1;
        }
    }
}
