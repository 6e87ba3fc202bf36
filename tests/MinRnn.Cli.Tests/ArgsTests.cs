using MinRnn.Cli;

namespace MinRnn.Tests.Cli;

/// <summary>The option parser's suggestions for mistyped options.</summary>
public class ArgsTests
{
    [Theory]
    [InlineData("--sed", "did you mean --seed? ")]
    [InlineData("--tasks-opt", "did you mean --task-opt? ")]
    [InlineData("--forse", "did you mean --force? ")]
    [InlineData("--bogus", "(options: --force --seed --steps --task-opt --tasks)")]
    public void UnknownOptionsNameTheNearestKnownOne(string option, string expected)
    {
        var e = Assert.Throws<UsageException>(() => new Args([option, "1"], ["--seed", "--steps", "--tasks"], ["--force"], ["--task-opt"]));
        Assert.StartsWith($"unknown option '{option}' (", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Equal(expected.StartsWith("did", StringComparison.Ordinal) ? 1 : 0, e.Message.Split("did you mean").Length - 1);
    }

    /// <summary>Levenshtein distances by hand: kitten → sitting 3 (too far), kitten → mitten 1, "ab" → "ba" 2.</summary>
    [Fact]
    public void NearestIsAtMostTwoEditsAway()
    {
        Assert.Null(Args.Closest("kitten", ["sitting"]));
        Assert.Equal("mitten", Args.Closest("kitten", ["sitting", "mitten"]));
        Assert.Equal("ba", Args.Closest("ab", ["ba", "abcde"]));
        Assert.Equal("abcd", Args.Closest("ab", ["abcd", "abcde"]));
    }
}
