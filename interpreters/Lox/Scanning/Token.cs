namespace MetaJit.Lox.Scanning;

/// <summary>
/// One token. <see cref="Line"/> is the line the scanner was on when the token ended, as in clox (so a
/// string spanning lines reports its last line). For <see cref="TokenType.Error"/> the lexeme is the message.
/// </summary>
public sealed record Token(TokenType Type, string Lexeme, int Line);
