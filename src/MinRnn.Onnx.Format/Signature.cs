using System.Globalization;

namespace MinRnn.Onnx.Format;

/// <summary>The names every exported MinRnn model uses for its inputs and outputs, and the ONNX versions it targets.
/// Each recurrent state is an optional input (zeros when not fed) and an output <c>final_</c>+its name.</summary>
public static class Signature
{
    /// <summary>ONNX opset of every file: onnx.checker 1.12 accepts it and ORT's CUDA provider registers Scan for it.</summary>
    public const int Opset = 17;
    /// <summary>ONNX IR version of every file (the one opset 17 came with).</summary>
    public const int IrVersion = 8;

    /// <summary>int64 (batch, time): token ids, the input of a model that reads tokens.</summary>
    public const string Tokens = "tokens";
    /// <summary>float (batch, time, F): numeric steps of F features, the input of a numeric model in place of
    /// <see cref="Tokens"/>; the graph standardises them with the model's own mean and standard deviation.</summary>
    public const string Features = "features";
    /// <summary>Optional int64 (batch): each row's real length, 1 ≤ length ≤ time (rows are right-padded); the full
    /// length when not fed. Outputs at padded steps are unspecified; the final states are each row's after its own last
    /// real token. Files exported before it existed have no such input and run full rows only.</summary>
    public const string Lengths = "lengths";
    /// <summary>float (batch, time, vocab).</summary>
    public const string Logits = "logits";
    /// <summary>int64 (batch, time), argmax of the logits.</summary>
    public const string Predictions = "predictions";
    /// <summary>Prefix of the output that returns a state after the last token.</summary>
    public const string FinalPrefix = "final_";

    /// <summary>The output returning <paramref name="state"/> after the last token.</summary>
    public static string Final(string state) => FinalPrefix + state;

    /// <summary>Layer l's causal-conv state (batch, kernel − 1, d).</summary>
    public static string ConvState(int layer) => "conv_state_" + Layer(layer);
    /// <summary>Layer l's hidden state h: (batch, inner), Mamba's (batch, inner, N).</summary>
    public static string HiddenState(int layer) => "state_h_" + Layer(layer);
    /// <summary>Layer l's cell state c (batch, inner), for cells that carry one (LSTM).</summary>
    public static string CellState(int layer) => "state_c_" + Layer(layer);
    /// <summary>Layer l's cell-internal causal-conv state (batch, kernel − 1, inner), for cells with a conv of their own (Mamba).</summary>
    public static string CellConvState(int layer) => "state_conv_" + Layer(layer);
    /// <summary>Layer l's count of cached positions per row (batch), for cells whose state grows with the sequence
    /// (the transformer's key–value cache): the position of each row's next token.</summary>
    public static string PositionState(int layer) => "state_pos_" + Layer(layer);

    /// <summary>A state dimension that grows with the sequence (the transformer's cache length), symbolic in the graph:
    /// −1 in the state shapes that <see cref="StateHeader"/> and MinRnn.Onnx report.</summary>
    public const long GrowingDim = -1;

    private static string Layer(int layer) => layer.ToString(CultureInfo.InvariantCulture);
}
