using static TorchSharp.torch;

namespace MinRnn.Explain.Internals;

/// <summary>The role of a token in selective copying (docs/TASKS.md); the roles of that task only, so explain
/// computes token-type statistics for selective-copying runs alone.</summary>
public enum TokenType { Data, Noise, Marker }

public static class TokenTypes
{
    public static readonly TokenType[] All = [TokenType.Data, TokenType.Noise, TokenType.Marker];

    /// <summary>Token 0 is the "copy now" marker, vocab − 1 is noise, everything else is data.</summary>
    public static TokenType Of(long token, int vocab) =>
        token == 0 ? TokenType.Marker : token == vocab - 1 ? TokenType.Noise : TokenType.Data;

    /// <summary>A (B, L) bool mask of the tokens of one type.</summary>
    public static Tensor Mask(Tensor tokens, int vocab, TokenType type) => type switch
    {
        TokenType.Marker => tokens.eq(0),
        TokenType.Noise => tokens.eq(vocab - 1),
        _ => tokens.ne(0).logical_and(tokens.ne(vocab - 1)),
    };
}
