namespace MinRnn.Tasks;

/// <summary>Independent seeds derived from one run seed, so training batches, the fixed evaluation set and
/// model initialisation never share a random stream. Training batches depend only on (seed, step): a resumed
/// run sees the same data as an uninterrupted one without carrying generator state.</summary>
public static class Seeds
{
    public static long TrainBatch(long seed, long step) => Mix(seed, 0x7472_6169_6EL, step);

    public static long Evaluation(long seed) => Mix(seed, 0x6576_616CL, 0);

    public static long Initialisation(long seed) => Mix(seed, 0x696E_6974L, 0);

    private static long Mix(long seed, long stream, long index) =>
        (long)(SplitMix64.Mix(SplitMix64.Mix(SplitMix64.Mix((ulong)seed) ^ (ulong)stream) ^ (ulong)index) >> 1);
}
