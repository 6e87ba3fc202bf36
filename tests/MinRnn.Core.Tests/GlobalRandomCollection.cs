namespace MinRnn.Tests;

/// <summary>Tests that compare two trainings in one process for equality: Trainer seeds TorchSharp's global generator
/// before it builds the model, so another test drawing from that generator in parallel (any model construction) would
/// change one of the two initialisations. This collection runs with no other test beside it. (`minrnn train` runs
/// each training in a process of its own and does not need this.)</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomCollection
{
    public const string Name = "TorchSharp's global generator";
}
