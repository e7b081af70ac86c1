using System.Globalization;
using MetaJit.Lox.Bytecode;
using MetaJit.Lox.Runtime;
using MetaJit.Lox.Scanning;

namespace MetaJit.Lox.Compiling;

/// <summary>Expressions: clox's Pratt parser. The rule table is written as three switches (precedence,
/// prefix, infix) instead of a table of function pointers.</summary>
public sealed partial class Compiler
{
    private enum Precedence
    {
        None,
        Assignment, // =
        Or,         // or
        And,        // and
        Equality,   // == !=
        Comparison, // < > <= >=
        Term,       // + -
        Factor,     // * /
        Unary,      // ! -
        Call,       // . ()
        Primary,
    }

    private static Precedence InfixPrecedence(TokenType type) => type switch
    {
        TokenType.LeftParen or TokenType.Dot => Precedence.Call,
        TokenType.Minus or TokenType.Plus => Precedence.Term,
        TokenType.Slash or TokenType.Star => Precedence.Factor,
        TokenType.BangEqual or TokenType.EqualEqual => Precedence.Equality,
        TokenType.Greater or TokenType.GreaterEqual or TokenType.Less or TokenType.LessEqual => Precedence.Comparison,
        TokenType.And => Precedence.And,
        TokenType.Or => Precedence.Or,
        _ => Precedence.None,
    };

    private void Expression() => ParsePrecedence(Precedence.Assignment);

    private void ParsePrecedence(Precedence precedence)
    {
        CheckNesting();
        Advance();
        bool canAssign = precedence <= Precedence.Assignment;
        if (!Prefix(_previous.Type, canAssign))
        {
            Error("Expect expression.");
            return;
        }
        while (precedence <= InfixPrecedence(_current.Type))
        {
            Advance();
            Infix(_previous.Type, canAssign);
        }
        if (canAssign && Match(TokenType.Equal)) Error("Invalid assignment target.");
    }

    /// <summary>Runs the prefix rule of <paramref name="type"/>; false when it has none.</summary>
    private bool Prefix(TokenType type, bool canAssign)
    {
        switch (type)
        {
            case TokenType.LeftParen: Grouping(); return true;
            case TokenType.Minus:
            case TokenType.Bang: Unary(); return true;
            case TokenType.Identifier: Variable(canAssign); return true;
            case TokenType.String: StringLiteral(); return true;
            case TokenType.Number: NumberLiteral(); return true;
            case TokenType.False: EmitOp(OpCode.False, +1); return true;
            case TokenType.Nil: EmitOp(OpCode.Nil, +1); return true;
            case TokenType.True: EmitOp(OpCode.True, +1); return true;
            case TokenType.Super: Super(); return true;
            case TokenType.This: This(); return true;
            default: return false;
        }
    }

    private void Infix(TokenType type, bool canAssign)
    {
        switch (type)
        {
            case TokenType.LeftParen: Call(); break;
            case TokenType.Dot: Dot(canAssign); break;
            case TokenType.And: And(); break;
            case TokenType.Or: Or(); break;
            default: Binary(); break;
        }
    }

    private void Binary()
    {
        TokenType operatorType = _previous.Type;
        ParsePrecedence(InfixPrecedence(operatorType) + 1);
        switch (operatorType)
        {
            case TokenType.BangEqual: EmitOp(OpCode.Equal, -1); EmitOp(OpCode.Not, 0); break;
            case TokenType.EqualEqual: EmitOp(OpCode.Equal, -1); break;
            case TokenType.Greater: EmitOp(OpCode.Greater, -1); break;
            case TokenType.GreaterEqual: EmitOp(OpCode.Less, -1); EmitOp(OpCode.Not, 0); break;
            case TokenType.Less: EmitOp(OpCode.Less, -1); break;
            case TokenType.LessEqual: EmitOp(OpCode.Greater, -1); EmitOp(OpCode.Not, 0); break;
            case TokenType.Plus: EmitOp(OpCode.Add, -1); break;
            case TokenType.Minus: EmitOp(OpCode.Subtract, -1); break;
            case TokenType.Star: EmitOp(OpCode.Multiply, -1); break;
            case TokenType.Slash: EmitOp(OpCode.Divide, -1); break;
        }
    }

    private void Call()
    {
        int argCount = ArgumentList();
        EmitOp(OpCode.Call, argCount, -argCount);
    }

    private void Dot(bool canAssign)
    {
        Consume(TokenType.Identifier, "Expect property name after '.'.");
        int name = NameConstant(_previous);
        if (canAssign && Match(TokenType.Equal))
        {
            Expression();
            EmitOp(OpCode.SetProperty, name, -1);
        }
        else if (Match(TokenType.LeftParen))
        {
            int argCount = ArgumentList();
            EmitOp(OpCode.Invoke, name, -argCount);
            EmitByte(argCount);
        }
        else
        {
            EmitOp(OpCode.GetProperty, name, 0);
        }
    }

    /// <summary>Compiles call arguments; returns their count truncated to a byte, as clox's uint8_t does.</summary>
    private int ArgumentList()
    {
        int argCount = 0;
        if (!Check(TokenType.RightParen))
        {
            do
            {
                Expression();
                if (argCount == 255) Error("Can't have more than 255 arguments.");
                argCount = (argCount + 1) & 0xff;
            } while (Match(TokenType.Comma));
        }
        Consume(TokenType.RightParen, "Expect ')' after arguments.");
        return argCount;
    }

    private void And()
    {
        int endJump = EmitJump(OpCode.JumpIfFalse);
        EmitOp(OpCode.Pop, -1);
        ParsePrecedence(Precedence.And);
        PatchJump(endJump);
    }

    private void Or()
    {
        int elseJump = EmitJump(OpCode.JumpIfFalse);
        int endJump = EmitJump(OpCode.Jump);
        PatchJump(elseJump);
        EmitOp(OpCode.Pop, -1);
        ParsePrecedence(Precedence.Or);
        PatchJump(endJump);
    }

    private void Grouping()
    {
        Expression();
        Consume(TokenType.RightParen, "Expect ')' after expression.");
    }

    private void Unary()
    {
        TokenType operatorType = _previous.Type;
        ParsePrecedence(Precedence.Unary);
        if (operatorType == TokenType.Bang) EmitOp(OpCode.Not, 0);
        else EmitOp(OpCode.Negate, 0);
    }

    private void NumberLiteral() =>
        EmitConstant(new LoxNumber(double.Parse(_previous.Lexeme, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)));

    private void StringLiteral()
    {
        string lexeme = _previous.Lexeme;
        EmitConstant(_vm.Strings.Intern(lexeme.Substring(1, lexeme.Length - 2)));
    }

    private void Variable(bool canAssign) => NamedVariable(_previous.Lexeme, canAssign);

    private void Super()
    {
        if (_class == null) Error("Can't use 'super' outside of a class.");
        else if (!_class.HasSuperclass) Error("Can't use 'super' in a class with no superclass.");
        Consume(TokenType.Dot, "Expect '.' after 'super'.");
        Consume(TokenType.Identifier, "Expect superclass method name.");
        int name = NameConstant(_previous);
        NamedVariable("this", false);
        if (Match(TokenType.LeftParen))
        {
            int argCount = ArgumentList();
            NamedVariable("super", false);
            EmitOp(OpCode.SuperInvoke, name, -(argCount + 1));
            EmitByte(argCount);
        }
        else
        {
            NamedVariable("super", false);
            EmitOp(OpCode.GetSuper, name, -1);
        }
    }

    private void This()
    {
        if (_class == null)
        {
            Error("Can't use 'this' outside of a class.");
            return;
        }
        Variable(false);
    }
}
