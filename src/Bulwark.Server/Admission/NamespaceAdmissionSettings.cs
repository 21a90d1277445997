namespace Bulwark.Server.Admission;

/// <summary>One namespace's Pod Security level and version (<c>admission.namespaces.NAME</c>); unset values take the defaults.</summary>
public sealed class NamespaceAdmissionSettings
{
    public string? Enforce { get; set; }

    public string? Version { get; set; }
}
