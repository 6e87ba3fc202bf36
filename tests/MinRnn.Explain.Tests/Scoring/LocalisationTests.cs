using MinRnn.Explain.Scoring;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Scoring;

public class LocalisationTests
{
    private static Tensor Mask(int length, params int[] positions)
    {
        var m = zeros(1, length, dtype: @bool);
        foreach (var p in positions) m[0, p] = tensor(true);
        return m;
    }

    private static double One(Func<Tensor, Tensor, Tensor> score, double[] relevance, Tensor mask) =>
        score(tensor(relevance).unsqueeze(0), mask).item<double>();

    public static TheoryData<string> Scores => new() { "pointing", "mass", "rank" };

    private static Func<Tensor, Tensor, Tensor> Get(string name) => name switch
    {
        "pointing" => Localisation.PointingGame,
        "mass" => Localisation.RelevanceMass,
        _ => Localisation.RelevanceRank,
    };

    [Theory]
    [MemberData(nameof(Scores))]
    public void OnTargetScoresOneAndUniformScoresChance(string name)
    {
        var score = Get(name);
        var onTarget = new double[10];
        onTarget[3] = 2.5;
        Assert.Equal(1.0, One(score, onTarget, Mask(10, 3)), 15);
        Assert.Equal(0.1, One(score, Enumerable.Repeat(0.7, 10).ToArray(), Mask(10, 3)), 15);
        Assert.Equal(0.1, One(score, new double[10], Mask(10, 3)), 15);          // all zero counts as uniform
        Assert.Equal(0.0, One(score, onTarget, Mask(10, 7)), 15);               // all relevance elsewhere
    }

    [Fact]
    public void PartialCasesHaveTheirKnownValues()
    {
        double[] r = [0, 4, 4, 1, 1];
        Assert.Equal(0.5, One(Localisation.PointingGame, r, Mask(5, 1)), 15);          // tied at the top with one other
        Assert.Equal(0.4, One(Localisation.RelevanceMass, r, Mask(5, 2)), 15);          // 4 / 10
        Assert.Equal(0.2, One(Localisation.RelevanceMass, r, Mask(5, 3, 4)), 15);       // 2 / 10
        Assert.Equal(0.5, One(Localisation.RelevanceRank, r, Mask(5, 1, 3)), 15);       // top-2 = {1, 2}: one of two
        Assert.Equal(0.0, One(Localisation.RelevanceRank, r, Mask(5, 0, 3)), 15);       // top-2 = {1, 2}: none
        // [3, 1, 1, 1, 0], mask {0, 2}: position 0 is in the top 2; the last slot is shared by the three 1s,
        // one of which is in the mask → (1 + 1/3) / 2
        Assert.Equal(2.0 / 3, One(Localisation.RelevanceRank, [3, 1, 1, 1, 0], Mask(5, 0, 2)), 15);
    }
}
