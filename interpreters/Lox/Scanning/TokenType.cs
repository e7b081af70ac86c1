namespace MetaJit.Lox.Scanning;

/// <summary>The token kinds of Lox, as clox's scanner names them.</summary>
public enum TokenType
{
    /// <summary><c>(</c></summary>
    LeftParen,
    /// <summary><c>)</c></summary>
    RightParen,
    /// <summary><c>{</c></summary>
    LeftBrace,
    /// <summary><c>}</c></summary>
    RightBrace,
    /// <summary><c>,</c></summary>
    Comma,
    /// <summary><c>.</c></summary>
    Dot,
    /// <summary><c>-</c></summary>
    Minus,
    /// <summary><c>+</c></summary>
    Plus,
    /// <summary><c>;</c></summary>
    Semicolon,
    /// <summary><c>/</c></summary>
    Slash,
    /// <summary><c>*</c></summary>
    Star,
    /// <summary><c>!</c></summary>
    Bang,
    /// <summary><c>!=</c></summary>
    BangEqual,
    /// <summary><c>=</c></summary>
    Equal,
    /// <summary><c>==</c></summary>
    EqualEqual,
    /// <summary><c>&gt;</c></summary>
    Greater,
    /// <summary><c>&gt;=</c></summary>
    GreaterEqual,
    /// <summary><c>&lt;</c></summary>
    Less,
    /// <summary><c>&lt;=</c></summary>
    LessEqual,
    /// <summary>A name.</summary>
    Identifier,
    /// <summary>A string literal, quotes included in the lexeme.</summary>
    String,
    /// <summary>A number literal.</summary>
    Number,
    /// <summary><c>and</c></summary>
    And,
    /// <summary><c>class</c></summary>
    Class,
    /// <summary><c>else</c></summary>
    Else,
    /// <summary><c>false</c></summary>
    False,
    /// <summary><c>for</c></summary>
    For,
    /// <summary><c>fun</c></summary>
    Fun,
    /// <summary><c>if</c></summary>
    If,
    /// <summary><c>nil</c></summary>
    Nil,
    /// <summary><c>or</c></summary>
    Or,
    /// <summary><c>print</c></summary>
    Print,
    /// <summary><c>return</c></summary>
    Return,
    /// <summary><c>super</c></summary>
    Super,
    /// <summary><c>this</c></summary>
    This,
    /// <summary><c>true</c></summary>
    True,
    /// <summary><c>var</c></summary>
    Var,
    /// <summary><c>while</c></summary>
    While,
    /// <summary>A scanner error; the lexeme is the message.</summary>
    Error,
    /// <summary>End of the source.</summary>
    Eof,
}
