using MetaJit.Lox.Bytecode;
using MetaJit.Lox.Runtime;
using MetaJit.Lox.Scanning;

namespace MetaJit.Lox.Compiling;

/// <summary>Declarations and statements (clox's compiler.c, same order of checks and emissions).</summary>
public sealed partial class Compiler
{
    private void Declaration()
    {
        CheckNesting();
        if (Match(TokenType.Class)) ClassDeclaration();
        else if (Match(TokenType.Fun)) FunDeclaration();
        else if (Match(TokenType.Var)) VarDeclaration();
        else Statement();
        if (_panicMode) Synchronize();
    }

    private void ClassDeclaration()
    {
        Consume(TokenType.Identifier, "Expect class name.");
        Token className = _previous;
        int nameConstant = VariableConstant(_previous);
        DeclareVariable();
        EmitOp(OpCode.Class, nameConstant, +1);
        DefineVariable(nameConstant);

        var classState = new ClassState(_class);
        _class = classState;
        if (Match(TokenType.Less))
        {
            Consume(TokenType.Identifier, "Expect superclass name.");
            Variable(false);
            if (className.Lexeme == _previous.Lexeme) Error("A class can't inherit from itself.");
            BeginScope();
            AddLocal("super");
            DefineVariable(0);
            NamedVariable(className.Lexeme, false);
            EmitOp(OpCode.Inherit, -1);
            classState.HasSuperclass = true;
        }
        NamedVariable(className.Lexeme, false);
        Consume(TokenType.LeftBrace, "Expect '{' before class body.");
        while (!Check(TokenType.RightBrace) && !Check(TokenType.Eof)) Method();
        Consume(TokenType.RightBrace, "Expect '}' after class body.");
        EmitOp(OpCode.Pop, -1);
        if (classState.HasSuperclass) EndScope();
        _class = classState.Enclosing;
    }

    private void Method()
    {
        Consume(TokenType.Identifier, "Expect method name.");
        int constant = NameConstant(_previous);
        FunctionKind kind = _previous.Lexeme == "init" ? FunctionKind.Initializer : FunctionKind.Method;
        Function(kind);
        EmitOp(OpCode.Method, constant, -1);
    }

    private void FunDeclaration()
    {
        int global = ParseVariable("Expect function name.");
        MarkInitialized();
        Function(FunctionKind.Function);
        DefineVariable(global);
    }

    /// <summary>Compiles a function's parameters and body into a new chunk and emits its closure.</summary>
    private void Function(FunctionKind kind)
    {
        var state = new FunctionState(_function, kind, _previous.Lexeme);
        _function = state;
        BeginScope();
        Consume(TokenType.LeftParen, "Expect '(' after function name.");
        if (!Check(TokenType.RightParen))
        {
            do
            {
                _function.Arity++;
                if (_function.Arity > 255) ErrorAtCurrent("Can't have more than 255 parameters.");
                int constant = ParseVariable("Expect parameter name.");
                DefineVariable(constant);
                CurrentChunk.Adjust(+1); // the argument occupies the parameter's slot
            } while (Match(TokenType.Comma));
        }
        Consume(TokenType.RightParen, "Expect ')' after parameters.");
        Consume(TokenType.LeftBrace, "Expect '{' before function body.");
        Block();

        LoxFunction function = EndFunction();
        EmitOp(OpCode.Closure, MakeConstant(function), +1);
        for (int i = 0; i < function.UpvalueCount; i++)
        {
            EmitByte(state.Upvalues[i].IsLocal ? 1 : 0);
            EmitByte(state.Upvalues[i].Index);
        }
    }

    private void VarDeclaration()
    {
        int global = ParseVariable("Expect variable name.");
        if (Match(TokenType.Equal)) Expression();
        else EmitOp(OpCode.Nil, +1);
        Consume(TokenType.Semicolon, "Expect ';' after variable declaration.");
        DefineVariable(global);
    }

    private void Statement()
    {
        CheckNesting();
        if (Match(TokenType.Print)) PrintStatement();
        else if (Match(TokenType.For)) ForStatement();
        else if (Match(TokenType.If)) IfStatement();
        else if (Match(TokenType.Return)) ReturnStatement();
        else if (Match(TokenType.While)) WhileStatement();
        else if (Match(TokenType.LeftBrace))
        {
            BeginScope();
            Block();
            EndScope();
        }
        else ExpressionStatement();
    }

    private void Block()
    {
        while (!Check(TokenType.RightBrace) && !Check(TokenType.Eof)) Declaration();
        Consume(TokenType.RightBrace, "Expect '}' after block.");
    }

    private void PrintStatement()
    {
        Expression();
        Consume(TokenType.Semicolon, "Expect ';' after value.");
        EmitOp(OpCode.Print, -1);
    }

    private void ExpressionStatement()
    {
        Expression();
        Consume(TokenType.Semicolon, "Expect ';' after expression.");
        EmitOp(OpCode.Pop, -1);
    }

    private void ForStatement()
    {
        BeginScope();
        Consume(TokenType.LeftParen, "Expect '(' after 'for'.");
        if (Match(TokenType.Semicolon))
        {
            // No initializer.
        }
        else if (Match(TokenType.Var)) VarDeclaration();
        else ExpressionStatement();

        int loopStart = CurrentChunk.Count;
        int exitJump = -1;
        if (!Match(TokenType.Semicolon))
        {
            Expression();
            Consume(TokenType.Semicolon, "Expect ';' after loop condition.");
            exitJump = EmitJump(OpCode.JumpIfFalse);
            EmitOp(OpCode.Pop, -1);
        }
        if (!Match(TokenType.RightParen))
        {
            int bodyJump = EmitJump(OpCode.Jump);
            int incrementStart = CurrentChunk.Count;
            Expression();
            EmitOp(OpCode.Pop, -1);
            Consume(TokenType.RightParen, "Expect ')' after for clauses.");
            EmitLoop(loopStart);
            loopStart = incrementStart;
            PatchJump(bodyJump);
        }
        Statement();
        EmitLoop(loopStart);
        if (exitJump != -1)
        {
            PatchJump(exitJump);
            EmitOp(OpCode.Pop, -1);
        }
        EndScope();
    }

    private void IfStatement()
    {
        Consume(TokenType.LeftParen, "Expect '(' after 'if'.");
        Expression();
        Consume(TokenType.RightParen, "Expect ')' after condition.");
        int thenJump = EmitJump(OpCode.JumpIfFalse);
        EmitOp(OpCode.Pop, -1);
        Statement();
        int elseJump = EmitJump(OpCode.Jump);
        PatchJump(thenJump);
        EmitOp(OpCode.Pop, -1);
        if (Match(TokenType.Else)) Statement();
        PatchJump(elseJump);
    }

    private void ReturnStatement()
    {
        if (_function.Kind == FunctionKind.Script) Error("Can't return from top-level code.");
        if (Match(TokenType.Semicolon))
        {
            EmitReturn();
        }
        else
        {
            if (_function.Kind == FunctionKind.Initializer) Error("Can't return a value from an initializer.");
            Expression();
            Consume(TokenType.Semicolon, "Expect ';' after return value.");
            EmitOp(OpCode.Return, -1);
        }
    }

    private void WhileStatement()
    {
        int loopStart = CurrentChunk.Count;
        Consume(TokenType.LeftParen, "Expect '(' after 'while'.");
        Expression();
        Consume(TokenType.RightParen, "Expect ')' after condition.");
        int exitJump = EmitJump(OpCode.JumpIfFalse);
        EmitOp(OpCode.Pop, -1);
        Statement();
        EmitLoop(loopStart);
        PatchJump(exitJump);
        EmitOp(OpCode.Pop, -1);
    }
}
