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
        var tokens = new List<Token>();
        IInput input = new Input(source);
        while (true)
        {
            input = SkipTrivia(input, source);
            if (input.AtEnd)
            {
                tokens.Add(new Token(TokenType.Eof, "", input.Line));
                return tokens;
            }
            // The first character decides the shape, so Sprache never tries (and fails) the other shapes:
            // failed alternatives are what make combinator scanners slow.
            var result = ShapeStartingWith(input.Current)(input);
            if (!result.WasSuccessful) throw new InvalidOperationException("Lox scanner: " + result.Message);
            input = result.Remainder;
            tokens.Add(new Token(result.Value.Item1, result.Value.Item2, input.Line));
        }
    }

    /// <summary>Skips blanks, newlines and <c>//</c> comments (not their ending newline), as clox's skipWhitespace.</summary>
    private static IInput SkipTrivia(IInput input, string source)
    {
        while (!input.AtEnd)
        {
            char c = input.Current;
            if (c is ' ' or '\r' or '\t' or '\n')
            {
                input = input.Advance();
            }
            else if (c == '/' && input.Position + 1 < source.Length && source[input.Position + 1] == '/')
            {
                while (!input.AtEnd && input.Current != '\n') input = input.Advance();
            }
            else
            {
                break;
            }
        }
        return input;
    }

    private static Parser<(TokenType, string)> ShapeStartingWith(char c)
    {
        if (IsAlpha(c)) return Word;
        if (IsDigit(c)) return Number;
        if (c == '"') return StringOrUnterminated;
        return Operators.TryGetValue(c, out var op) ? op : UnexpectedCharacter;
    }

    private static bool IsAlpha(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_';
    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static readonly Parser<char> Alpha = Parse.Char(IsAlpha, "letter");
    private static readonly Parser<char> Digit = Parse.Char(IsDigit, "digit");

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

    private static readonly Parser<(TokenType, string)> StringOrUnterminated = String.Or(UnterminatedString);

    private static Parser<(TokenType, string)> Op(string text, TokenType type) =>
        Parse.String(text).Return((type, text));

    /// <summary>Operator shapes by first character; two-character operators before their one-character prefix.</summary>
    private static readonly Dictionary<char, Parser<(TokenType, string)>> Operators = new()
    {
        ['('] = Op("(", TokenType.LeftParen),
        [')'] = Op(")", TokenType.RightParen),
        ['{'] = Op("{", TokenType.LeftBrace),
        ['}'] = Op("}", TokenType.RightBrace),
        [';'] = Op(";", TokenType.Semicolon),
        [','] = Op(",", TokenType.Comma),
        ['.'] = Op(".", TokenType.Dot),
        ['-'] = Op("-", TokenType.Minus),
        ['+'] = Op("+", TokenType.Plus),
        ['/'] = Op("/", TokenType.Slash),
        ['*'] = Op("*", TokenType.Star),
        ['!'] = Op("!=", TokenType.BangEqual).Or(Op("!", TokenType.Bang)),
        ['='] = Op("==", TokenType.EqualEqual).Or(Op("=", TokenType.Equal)),
        ['<'] = Op("<=", TokenType.LessEqual).Or(Op("<", TokenType.Less)),
        ['>'] = Op(">=", TokenType.GreaterEqual).Or(Op(">", TokenType.Greater)),
    };

    private static readonly Parser<(TokenType, string)> UnexpectedCharacter =
        Parse.AnyChar.Return((TokenType.Error, "Unexpected character."));

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
