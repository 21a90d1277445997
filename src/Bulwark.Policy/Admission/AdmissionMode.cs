namespace Bulwark.Policy.Admission;

/// <summary>What the validating webhook does with a request that breaks a rule.</summary>
public enum AdmissionMode
{
    /// <summary>Deny it (HTTP-style code 403 in the review response).</summary>
    Enforce,

    /// <summary>Allow it and return each broken rule as a warning (kubectl prints them).</summary>
    Audit,
}
