namespace MinRnn.Onnx.Format;

/// <summary>Errors stay one line: ONNX Runtime's and protobuf's messages are cut to their first.</summary>
public static class ErrorText
{
    public static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
