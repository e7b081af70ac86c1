using MetaJit.Examples.Brainfuck;

// Standalone runner: `dotnet run --project examples/Brainfuck -- FILE` (no JIT attached; `metajit bf` attaches it).
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Brainfuck FILE");
    return 2;
}
return BfMain.Run(args[0], Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error);
