using MetaJit.Lox.Bytecode;
using MetaJit.Lox.Runtime;
using MetaJit.Lox.Scanning;
using MetaJit.Lox.Vm;

namespace MetaJit.Lox.Compiling;

/// <summary>
/// The single-pass compiler: a hand-written recursive-descent / Pratt parser that emits bytecode as it
/// parses, mirroring clox's compiler.c function for function, so that error messages, the token each error
/// is reported at, panic-mode recovery, the order constants are added (and so the 256-constant limit) and the
/// bytecode size (and so the jump limits) are all the reference VM's. This file: parser state, error
/// reporting and emission; <c>Compiler.Statements.cs</c>, <c>Compiler.Expressions.cs</c> and
/// <c>Compiler.Variables.cs</c> hold the grammar.
/// </summary>
public sealed partial class Compiler
{
    private readonly List<Token> _tokens;
    private readonly LoxVm _vm;
    private readonly TextWriter _errors;
    private int _nextToken;
    private Token _current;
    private Token _previous;
    private bool _hadError;
    private bool _panicMode;
    private FunctionState _function;
    private ClassState? _class;

    private Compiler(string source, LoxVm vm, TextWriter errors)
    {
        _tokens = Scanner.Scan(source);
        _vm = vm;
        _errors = errors;
        _current = _previous = _tokens[0];
        _function = new FunctionState(null, FunctionKind.Script, null);
    }

    /// <summary>
    /// Compiles a script for <paramref name="vm"/> (whose string table and globals the constants use).
    /// Errors go to <paramref name="errors"/> as they are found, in clox's format; returns null if there was any.
    /// </summary>
    public static LoxFunction? Compile(string source, LoxVm vm, TextWriter errors)
    {
        var compiler = new Compiler(source, vm, errors);
        try
        {
            compiler.Advance();
            while (!compiler.Match(TokenType.Eof)) compiler.Declaration();
        }
        catch (NestingTooDeep)
        {
            // The panic-mode flag cannot be trusted half way up a deep recursion: report once and stop.
            compiler._panicMode = false;
            compiler.Error("Too much nesting for the compiler.");
            return null;
        }
        LoxFunction function = compiler.EndFunction();
        return compiler._hadError ? null : function;
    }

    // ---- tokens ----

    private void Advance()
    {
        _previous = _current;
        while (true)
        {
            _current = _tokens[Math.Min(_nextToken, _tokens.Count - 1)];
            _nextToken++;
            if (_current.Type != TokenType.Error) break;
            ErrorAtCurrent(_current.Lexeme);
        }
    }

    private void Consume(TokenType type, string message)
    {
        if (_current.Type == type)
        {
            Advance();
            return;
        }
        ErrorAtCurrent(message);
    }

    private bool Check(TokenType type) => _current.Type == type;

    private bool Match(TokenType type)
    {
        if (!Check(type)) return false;
        Advance();
        return true;
    }

    // ---- errors ----

    private void ErrorAtCurrent(string message) => ErrorAt(_current, message);

    private void Error(string message) => ErrorAt(_previous, message);

    private void ErrorAt(Token token, string message)
    {
        if (_panicMode) return;
        _panicMode = true;
        string where = token.Type switch
        {
            TokenType.Eof => " at end",
            TokenType.Error => "",
            _ => " at '" + token.Lexeme + "'",
        };
        _errors.Write("[line " + token.Line + "] Error" + where + ": " + message + "\n");
        _hadError = true;
    }

    private void Synchronize()
    {
        _panicMode = false;
        while (_current.Type != TokenType.Eof)
        {
            if (_previous.Type == TokenType.Semicolon) return;
            switch (_current.Type)
            {
                case TokenType.Class:
                case TokenType.Fun:
                case TokenType.Var:
                case TokenType.For:
                case TokenType.If:
                case TokenType.While:
                case TokenType.Print:
                case TokenType.Return:
                    return;
            }
            Advance();
        }
    }

    /// <summary>Guards the compiler's own recursion: nesting deep enough to exhaust the (large) thread stack
    /// becomes a compile error instead of a crash.</summary>
    private static void CheckNesting()
    {
        if (!DeepRecursion.HasStackRoom()) throw new NestingTooDeep();
    }

    private sealed class NestingTooDeep : Exception
    {
    }

    // ---- emission ----

    private ChunkBuilder CurrentChunk => _function.Chunk;

    private void EmitByte(int b) => CurrentChunk.Write((byte)b, _previous.Line);

    private void EmitOp(OpCode op, int stackEffect)
    {
        EmitByte((byte)op);
        CurrentChunk.Adjust(stackEffect);
    }

    private void EmitOp(OpCode op, int operand, int stackEffect)
    {
        EmitOp(op, stackEffect);
        EmitByte(operand);
    }

    private int EmitJump(OpCode op)
    {
        EmitOp(op, 0);
        EmitByte(0xff);
        EmitByte(0xff);
        int operand = CurrentChunk.Count - 2;
        CurrentChunk.RecordJump(operand);
        return operand;
    }

    private void PatchJump(int operand)
    {
        int jump = CurrentChunk.Count - operand - 2;
        if (jump > ushort.MaxValue) Error("Too much code to jump over.");
        CurrentChunk.Patch(operand, (byte)((jump >> 8) & 0xff));
        CurrentChunk.Patch(operand + 1, (byte)(jump & 0xff));
        CurrentChunk.LandJump(operand);
    }

    private void EmitLoop(int loopStart)
    {
        EmitOp(OpCode.Loop, 0);
        int offset = CurrentChunk.Count - loopStart + 2;
        if (offset > ushort.MaxValue) Error("Loop body too large.");
        EmitByte((offset >> 8) & 0xff);
        EmitByte(offset & 0xff);
    }

    private void EmitReturn()
    {
        if (_function.Kind == FunctionKind.Initializer) EmitOp(OpCode.GetLocal, 0, +1);
        else EmitOp(OpCode.Nil, +1);
        EmitOp(OpCode.Return, -1);
    }

    private int MakeConstant(object value)
    {
        int index = CurrentChunk.AddConstant(value);
        if (index > byte.MaxValue)
        {
            Error("Too many constants in one chunk.");
            return 0;
        }
        return index;
    }

    private void EmitConstant(object value) => EmitOp(OpCode.Constant, MakeConstant(value), +1);

    /// <summary>Ends the current function (clox's endCompiler) and returns to the enclosing one.</summary>
    private LoxFunction EndFunction()
    {
        EmitReturn();
        FunctionState done = _function;
        var function = new LoxFunction(done.Name, done.Arity, done.UpvalueCount, done.Chunk.Build(done.Name ?? "<script>"));
        if (done.Enclosing != null) _function = done.Enclosing;
        return function;
    }
}
