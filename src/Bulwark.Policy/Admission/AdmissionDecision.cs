namespace Bulwark.Policy.Admission;

/// <summary>
/// The webhook's answer to one review. <see cref="Findings"/> holds every broken rule whether or not the mode enforces
/// them; <see cref="Allowed"/> is false only in enforce mode with findings.
/// </summary>
/// <param name="Subject"><c>Kind/name</c> of the object judged (or what the request was about when nothing was judged).</param>
/// <param name="Skipped">Why the object was not judged (DELETE, not a workload, spec unchanged…); null when it was.</param>
/// <param name="PodSecurity">The <c>level:version</c> applied, or the exemption; null when not judged.</param>
public sealed record AdmissionDecision(
    string Uid,
    bool Allowed,
    string Subject,
    string Namespace,
    string? Skipped,
    string? PodSecurity,
    IReadOnlyList<AdmissionFinding> Findings,
    IReadOnlyList<string> Warnings)
{
    /// <summary>403 for a denial (as PodSecurity admission answers), 200 otherwise.</summary>
    public int Code => Allowed ? 200 : 403;

    /// <summary>The status message: the subject and every finding.</summary>
    public string Message => Allowed
        ? Findings.Count == 0 ? "allowed" : $"allowed in audit mode with {Findings.Count} finding(s)"
        : $"Bulwark denied {Subject} in namespace \"{Namespace}\": {string.Join("; ", Findings)}";
}
