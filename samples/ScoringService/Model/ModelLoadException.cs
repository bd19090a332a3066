namespace ScoringService.Model;

/// <summary>A model file the service cannot serve; the message is one line that says why and what to do.</summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelLoadException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public ModelLoadException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public ModelLoadException() { }

    /// <summary><paramref name="message"/> on one line.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
