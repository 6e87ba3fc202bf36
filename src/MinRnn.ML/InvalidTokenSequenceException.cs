namespace MinRnn.ML;

/// <summary>A row's token sequence cannot go into the model: empty, a missing key, or an id outside the vocabulary.
/// ML.NET may wrap it (e.g. in an <see cref="InvalidOperationException"/> from a parallel cursor); it is then an inner
/// exception.</summary>
public sealed class InvalidTokenSequenceException(string message) : InvalidOperationException(message);
