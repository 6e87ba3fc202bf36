using MinRnn.ML;

namespace MinRnn.Tests;

/// <summary>A fact about ONNX Runtime's CUDA execution provider: it runs where a CUDA session opens on device 0 and is
/// reported as skipped, with the reason, elsewhere, so a machine without CUDA never passes it without checking.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    internal static readonly Lazy<string?> WhyNot = new(() => CudaAvailability.WhyUnavailable(0));

    public CudaFactAttribute()
    {
        if (WhyNot.Value is { } why) Skip = why;
    }
}

/// <summary>A fact about what happens without CUDA (the error, the fall-back): skipped where CUDA runs.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (CudaFactAttribute.WhyNot.Value is null) Skip = "CUDA runs here (the CudaFact tests check it)";
    }
}
