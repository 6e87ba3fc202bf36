// Rotary position embeddings: Su et al. 2021, "RoFormer", arXiv 2104.09864, §3.4 (the rotate-half layout of GPT-NeoX).
using static TorchSharp.torch;

namespace MinRnn.Layers;

/// <summary>RoPE: each pair (x_i, x_{i+w/2}) of a head of width w turns by the angle p·θ_i, θ_i = 10000^(−2i/w), at
/// position p: x' = x ⊙ cos + rotate_half(x) ⊙ sin with rotate_half([a, b]) = [−b, a]. Then q'·k' depends on the
/// positions only through their difference, so any length is defined and a cache of rotated keys stays valid.</summary>
public static class Rotary
{
    public const double Base = 10000;

    /// <summary>x (B, H, T, w) at positions start, …, start + T − 1.</summary>
    public static Tensor Apply(Tensor x, long start)
    {
        var (steps, width) = (x.shape[2], x.shape[3]);
        var (cos, sin) = Angles(start, steps, width, x.dtype, x.device);
        var halves = x.chunk(2, -1);
        return x * cos + cat([-halves[1], halves[0]], -1) * sin;
    }

    /// <summary>cos and sin of the angles (T, w), each frequency twice ([θ, θ]).</summary>
    public static (Tensor Cos, Tensor Sin) Angles(long start, long steps, long width, ScalarType dtype, Device device)
    {
        var inverse = pow(Base, -arange(0, width, 2, dtype: float64) / width);              // θ_i (w/2)
        var angles = outer(arange(start, start + steps, dtype: float64), inverse);          // (T, w/2)
        var both = cat([angles, angles], -1);
        return (both.cos().to(dtype, device), both.sin().to(dtype, device));
    }
}
