namespace MinRnn.Cells;

/// <summary>One cell kind: what every layer of MinRnn needs to know about it (docs/MODELS.md, "Cells").</summary>
/// <param name="Name">The name users type (`--model`) and checkpoints, ONNX metadata and run records store.</param>
/// <param name="Description">One line for help texts.</param>
/// <param name="Create">The cell for one block.</param>
/// <param name="Baseline">For a min cell, the classic RNN it simplifies; comparisons pair the two.</param>
/// <param name="CarriesCellState">Whether the state has a second tensor c beside h (LSTM).</param>
/// <param name="InputGates">Widths, in units of the inner width H, of the input projection (x → gates, candidate).</param>
/// <param name="RecurrentGates">The same for the recurrent projection (h → gates); 0 for cells whose gates see only x.</param>
/// <param name="WriteGate">A min cell's write gate b, as the paper writes it (figures label it).</param>
/// <param name="Options">The options only some kinds take that this kind takes (`--state-size`, `--heads`).</param>
/// <param name="Products">A layer's matrix products (d, inner width, state size N) when they are not the gate pattern
/// that InputGates and RecurrentGates describe.</param>
/// <param name="Mixing">How the cell mixes positions: the explanations that read its internals depend on it.</param>
/// <param name="Scans">Whether a ScanMode chooses how it evaluates its recurrence (`--scan`, `bench --scans`).</param>
/// <param name="MixingMacs">Multiply–adds per token of the sequence mixing beyond Products (length T, inner width, state
/// size N): Mamba's selective scan, attention's QKᵀ and AV; null for kinds whose recurrence is a few elementwise
/// operations.</param>
/// <param name="ReferenceExpansion">The inner expansion its reference language model uses (the lm preset, docs/LM.md):
/// the minRNN language model's 1.5 for the min cells, Mamba's 2, the hidden or attention width d otherwise.</param>
/// <param name="OwnConv">Whether the mixer has its causal conv inside (Mamba), so a block adds none before it.</param>
/// <param name="HeadWidth">For a kind that takes heads: what each head's width must be a multiple of (2 for rotary
/// positions, which turn pairs of channels).</param>
public sealed record CellKind(
    string Name,
    string Description,
    Func<CellOptions, RecurrentCell> Create,
    string? Baseline = null,
    bool CarriesCellState = false,
    int InputGates = 1,
    int RecurrentGates = 0,
    string? WriteGate = null,
    CellOption Options = CellOption.None,
    Func<long, long, int, List<(long In, long Out)>>? Products = null,
    PositionMixing Mixing = PositionMixing.GatedRecurrence,
    bool Scans = false,
    Func<long, long, int, double>? MixingMacs = null,
    double ReferenceExpansion = 1.0,
    bool OwnConv = false,
    int HeadWidth = 1)
{
    /// <summary>minGRU and minLSTM: gates that see only the current input, so the recurrence is a linear scan.</summary>
    public bool IsMin => Baseline is not null;

    /// <summary>A layer's matrix products, input width → output width: input projection, recurrent projection (if any),
    /// projection back to d (when the inner width is not d); or the kind's own Products. What a floor benchmark times.</summary>
    public List<(long In, long Out)> Projections(long dim, long hidden, int stateSize = CellOptions.DefaultStateSize)
    {
        if (Products is not null) return Products(dim, hidden, stateSize);
        var projections = new List<(long In, long Out)> { (dim, InputGates * hidden) };
        if (RecurrentGates > 0) projections.Add((hidden, RecurrentGates * hidden));
        if (hidden != dim) projections.Add((hidden, dim));
        return projections;
    }
}

/// <summary>How a cell kind mixes positions (docs/EXPLAIN.md, "Which methods apply").</summary>
public enum PositionMixing
{
    /// <summary>Gates that see h_{t−1} (GRU, LSTM): no exact unrolling.</summary>
    GatedRecurrence,
    /// <summary>h_t = a_t ⊙ h_{t−1} + b_t with a, b from the input only (min cells, Mamba's S6): it unrolls exactly
    /// into per-source contributions (docs/MODELS.md, "Exact decomposition"); the cell implements IUnrollingCell.</summary>
    LinearRecurrence,
    /// <summary>Softmax attention over the positions so far (transformer): attention rollout reads its weights (IAttentionCell).</summary>
    Attention,
}

/// <summary>The cell kinds MinRnn knows: the one list every layer reads. Adding a kind is its cell's file, its fused
/// step (min cells), its ONNX exporter (found by kind name) and one line here.</summary>
public static class CellKinds
{
    public static readonly IReadOnlyList<CellKind> All =
    [
        new("mingru", "minGRU: h = (1 − z) ⊙ h + z ⊙ h̃, z and h̃ from x only", o => new MinGru(o), Baseline: "gru", InputGates: 2, WriteGate: "z",
            Mixing: PositionMixing.LinearRecurrence, Scans: true, ReferenceExpansion: 1.5),
        new("minlstm", "minLSTM: h = f′ ⊙ h + i′ ⊙ h̃, gates from x only", o => new MinLstm(o), Baseline: "lstm", InputGates: 3, WriteGate: "i′",
            Mixing: PositionMixing.LinearRecurrence, Scans: true, ReferenceExpansion: 1.5),
        new("gru", "GRU baseline (nn.GRU)", o => new Gru(o), InputGates: 3, RecurrentGates: 3),
        new("lstm", "LSTM baseline (nn.LSTM)", o => new Lstm(o), CarriesCellState: true, InputGates: 4, RecurrentGates: 4),
        new("mamba", "Mamba (S6): h = exp(ΔA) ⊙ h + ΔB x, y = C·h + D x, Δ, B, C from x", o => new Mamba(o), Options: CellOption.StateSize, Products: Mamba.Projections,
            Mixing: PositionMixing.LinearRecurrence, Scans: true, MixingMacs: Mamba.ScanMacs,
            ReferenceExpansion: 2.0, OwnConv: true),
        new("transformer", "Transformer: causal multi-head self-attention with rotary positions, KV cache as state", o => new Transformer(o),
            Options: CellOption.Heads, HeadWidth: 2, Products: Transformer.Projections,
            Mixing: PositionMixing.Attention, MixingMacs: Transformer.AttentionMacs),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(k => k.Name).ToArray();

    /// <summary>The kind named `name`; ArgumentException listing the known kinds otherwise.</summary>
    public static CellKind Get(string name) =>
        Find(name) ?? throw new ArgumentException($"unknown cell '{name}' (expected one of {string.Join("|", Names)})");

    public static CellKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>The kinds that take `option`, for error messages.</summary>
    public static string Taking(CellOption option) => string.Join("|", All.Where(k => k.Options.HasFlag(option)).Select(k => k.Name));

    /// <summary>Whether `name` takes a ScanMode (CellKind.Scans); false for unknown names.</summary>
    public static bool Scans(string name) => Find(name)?.Scans ?? false;

    /// <summary>Whether `name` is a min cell; false for unknown names.</summary>
    public static bool IsMin(string name) => Find(name)?.IsMin ?? false;
}
