namespace Bulwark.Analysis.Inspection;

/// <summary>Thrown by an inspector for content it cannot read; the analysis records a warning and goes on.</summary>
public sealed class InspectionException : Exception
{
    public InspectionException()
    {
    }

    public InspectionException(string message)
        : base(message)
    {
    }

    public InspectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
