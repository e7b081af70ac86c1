using System.Text;
using MetaJit.Lox.Compiling;
using MetaJit.Lox.Runtime;
using MetaJit.Lox.Vm;

namespace MetaJit.Lox;

/// <summary>
/// Entry points for the CLI and the tests. Everything runs in-process and re-entrantly: each run builds its
/// own <see cref="LoxVm"/> (strings, globals, output), so hundreds of programs can run in one process.
/// Exit codes are clox's: 0 ok, 65 compile error, 70 runtime error, 74 unreadable file, 64 usage.
/// </summary>
/// <remarks>
/// A run: <see cref="Compiler"/> (scanner + single-pass compiler) turns the source into a
/// <see cref="LoxFunction"/>; <see cref="Interpreter.Execute"/> (the JIT portal) runs it. The program runs on a
/// thread with a large stack (<see cref="DeepRecursion"/>) so that only Lox's own limits apply: Lox calls
/// never recurse in C#, but the compiler recurses with the nesting of the source.
/// </remarks>
public static class LoxMain
{
    /// <summary>Compile error exit code (EX_DATAERR).</summary>
    public const int ExitCompileError = 65;

    /// <summary>Runtime error exit code (EX_SOFTWARE).</summary>
    public const int ExitRuntimeError = 70;

    /// <summary>Unreadable script file exit code (EX_IOERR).</summary>
    public const int ExitIoError = 74;

    /// <summary>Bad command line exit code (EX_USAGE).</summary>
    public const int ExitUsage = 64;

    /// <summary>
    /// Runs a Lox script. Output of <c>print</c> goes to <paramref name="stdout"/> (flushed before any error
    /// text is written and at the end); compile errors, runtime errors and stack traces to
    /// <paramref name="stderr"/>. Returns 0, 65 or 70.
    /// <code>int exit = LoxMain.Run("print 1 + 2;", null, TextReader.Null, Console.Out, Console.Error);</code>
    /// </summary>
    /// <param name="source">The program text.</param>
    /// <param name="path">The script's path, or null; Lox messages never mention it (as in clox).</param>
    /// <param name="stdin">Unused by scripts (Lox has no input); kept so every interpreter's entry looks alike.</param>
    /// <param name="stdout">Where the program prints.</param>
    /// <param name="stderr">Where errors go.</param>
    public static int Run(string source, string? path, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        return DeepRecursion.Run(() => Interpret(new LoxVm(stdout), source, stderr));
    }

    /// <summary>Reads and runs a script file; a file that cannot be read is the one-line error
    /// <c>Could not open file "PATH".</c> and exit code 74, as in clox.</summary>
    public static int RunFile(string path, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        string source;
        try
        {
            source = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stdout.Flush();
            stderr.Write("Could not open file \"" + path + "\".\n");
            return ExitIoError;
        }
        return Run(source, path, stdin, stdout, stderr);
    }

    /// <summary>
    /// The REPL, as clox's: prompt <c>"> "</c>, run each line, keep globals between lines, report errors and
    /// go on; at end of input print a newline and return 0.
    /// </summary>
    public static int Repl(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        return DeepRecursion.Run(() =>
        {
            var vm = new LoxVm(stdout);
            while (true)
            {
                stdout.Write("> ");
                stdout.Flush();
                string? line = stdin.ReadLine();
                if (line == null)
                {
                    stdout.Write("\n");
                    stdout.Flush();
                    return 0;
                }
                Interpret(vm, line + "\n", stderr);
            }
        });
    }

    /// <summary>Compiles and runs one source text in <paramref name="vm"/>; returns the exit code.</summary>
    private static int Interpret(LoxVm vm, string source, TextWriter stderr)
    {
        try
        {
            LoxFunction? function = Compiler.Compile(source, vm, stderr);
            if (function == null) return ExitCompileError;
            var closure = new LoxClosure(function);
            var frame = new Frame(closure, closure.Function.Chunk.MaxStack, 1);
            frame.Push(closure);
            try
            {
                Interpreter.Execute(frame, vm);
                return 0;
            }
            catch (LoxRuntimeError error)
            {
                vm.Output.Flush();
                ReportRuntimeError(error, stderr);
                return ExitRuntimeError;
            }
        }
        finally
        {
            vm.Output.Flush();
            stderr.Flush();
        }
    }

    /// <summary>The message, then one line per active call, innermost first, as clox's runtimeError prints.</summary>
    private static void ReportRuntimeError(LoxRuntimeError error, TextWriter stderr)
    {
        var text = new StringBuilder();
        text.Append(error.Message).Append('\n');
        foreach (var line in error.Trace) text.Append(line).Append('\n');
        stderr.Write(text.ToString());
    }
}
