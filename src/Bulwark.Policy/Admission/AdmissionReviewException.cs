namespace Bulwark.Policy.Admission;

/// <summary>An AdmissionReview that cannot be judged: not JSON, over the size limit, the wrong apiVersion/kind, or a required field missing or of the wrong type.</summary>
public sealed class AdmissionReviewException : Exception
{
    public AdmissionReviewException()
    {
    }

    public AdmissionReviewException(string message)
        : base(message)
    {
    }

    public AdmissionReviewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
