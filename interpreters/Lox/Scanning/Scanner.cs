using Sprache;

namespace MetaJit.Lox.Scanning;

/// <summary>
/// The scanner, written as a Sprache grammar of token shapes. It turns the whole source into a token list
/// ending with <see cref="TokenType.Eof"/>; characters clox cannot scan become <see cref="TokenType.Error"/>
/// tokens in place, so the compiler reports them exactly when clox's on-demand scanner would (as the parser
/// advances onto them). Scanning Lox is context-free, so scanning eagerly changes nothing observable.
/// </summary>
/// <remarks>
/// Sprache fits here: token shapes are small regular languages and its <c>Or</c> backtracks, which is what
/// "longest of these shapes" needs. The parser is hand-written instead (see docs/lox.md).
/// </remarks>
public static class Scanner
{
    /// <summary>Scans <paramref name="source"/>; never fails (bad input becomes error tokens).</summary>
    public static List<Token> Scan(string source)
    {
        var result = Program(new Input(source));
        // Program cannot fail: every character is either trivia or the start of some token shape.
        if (!result.WasSuccessful) throw new InvalidOperationException("Lox scanner: " + result.Message);
        return result.Value;
    }

    private static bool IsAlpha(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_';
    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static readonly Parser<char> Alpha = Parse.Char(IsAlpha, "letter");
    private static readonly Parser<char> Digit = Parse.Char(IsDigit, "digit");

    /// <summary>The line the input is on, consuming nothing (Sprache counts '\n' as clox does).</summary>
    private static readonly Parser<int> Line = i => Result.Success(i.Line, i);

    private static readonly Parser<string> Comment =
        from slashes in Parse.String("//")
        from rest in Parse.CharExcept('\n').Many()
        select "";

    private static readonly Parser<string> Trivia =
        Parse.Chars(' ', '\r', '\t', '\n').Once().Text().Or(Comment).Many().Return("");

    private static readonly Parser<(TokenType, string)> Word =
        from first in Alpha
        from rest in Alpha.Or(Digit).Many().Text()
        let text = first + rest
        select (Keyword(text), text);

    private static readonly Parser<(TokenType, string)> Number =
        from whole in Digit.AtLeastOnce().Text()
        from fraction in (from dot in Parse.Char('.')
                          from digits in Digit.AtLeastOnce().Text()
                          select "." + digits).Optional()
        select (TokenType.Number, whole + fraction.GetOrElse(""));

    private static readonly Parser<(TokenType, string)> String =
        from open in Parse.Char('"')
        from body in Parse.CharExcept('"').Many().Text()
        from close in Parse.Char('"')
        select (TokenType.String, "\"" + body + "\"");

    private static readonly Parser<(TokenType, string)> UnterminatedString =
        from open in Parse.Char('"')
        from body in Parse.AnyChar.Many()
        select (TokenType.Error, "Unterminated string.");

    private static Parser<(TokenType, string)> Op(string text, TokenType type) =>
        Parse.String(text).Return((type, text));

    private static readonly Parser<(TokenType, string)> Operator =
        Op("!=", TokenType.BangEqual).Or(Op("==", TokenType.EqualEqual))
            .Or(Op("<=", TokenType.LessEqual)).Or(Op(">=", TokenType.GreaterEqual))
            .Or(Op("(", TokenType.LeftParen)).Or(Op(")", TokenType.RightParen))
            .Or(Op("{", TokenType.LeftBrace)).Or(Op("}", TokenType.RightBrace))
            .Or(Op(";", TokenType.Semicolon)).Or(Op(",", TokenType.Comma))
            .Or(Op(".", TokenType.Dot)).Or(Op("-", TokenType.Minus))
            .Or(Op("+", TokenType.Plus)).Or(Op("/", TokenType.Slash))
            .Or(Op("*", TokenType.Star)).Or(Op("!", TokenType.Bang))
            .Or(Op("=", TokenType.Equal)).Or(Op("<", TokenType.Less))
            .Or(Op(">", TokenType.Greater));

    private static readonly Parser<(TokenType, string)> UnexpectedCharacter =
        Parse.AnyChar.Return((TokenType.Error, "Unexpected character."));

    private static readonly Parser<Token> OneToken =
        from trivia in Trivia
        from shape in Word.Or(Number).Or(String).Or(UnterminatedString).Or(Operator).Or(UnexpectedCharacter)
        from line in Line
        select new Token(shape.Item1, shape.Item2, line);

    private static readonly Parser<List<Token>> Program =
        from tokens in OneToken.Many()
        from trivia in Trivia
        from line in Line
        select new List<Token>(tokens) { new Token(TokenType.Eof, "", line) };

    private static TokenType Keyword(string text) => text switch
    {
        "and" => TokenType.And,
        "class" => TokenType.Class,
        "else" => TokenType.Else,
        "false" => TokenType.False,
        "for" => TokenType.For,
        "fun" => TokenType.Fun,
        "if" => TokenType.If,
        "nil" => TokenType.Nil,
        "or" => TokenType.Or,
        "print" => TokenType.Print,
        "return" => TokenType.Return,
        "super" => TokenType.Super,
        "this" => TokenType.This,
        "true" => TokenType.True,
        "var" => TokenType.Var,
        "while" => TokenType.While,
        _ => TokenType.Identifier,
    };
}
