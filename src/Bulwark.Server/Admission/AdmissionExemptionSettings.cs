namespace Bulwark.Server.Admission;

/// <summary>Pod Security exemptions (<c>admission.exemptions</c>), in the shape of upstream's PodSecurityConfiguration.</summary>
public sealed class AdmissionExemptionSettings
{
    public List<string> Namespaces { get; set; } = [];

    /// <summary>Requesting users (<c>userInfo.username</c>) or pod service accounts (<c>system:serviceaccount:NS:NAME</c>).</summary>
    public List<string> Usernames { get; set; } = [];

    public List<string> RuntimeClasses { get; set; } = [];
}
