namespace Bulwark.Policy.Admission;

/// <summary>One broken rule: which rule, the container and image it is about (null for pod-level Pod Security controls), and why.</summary>
/// <param name="Rule">One of <see cref="AdmissionRules"/>.</param>
/// <param name="Control">For <see cref="AdmissionRules.PodSecurity"/>, the upstream control id; else null.</param>
public sealed record AdmissionFinding(string Rule, string? Control, string? Container, string? Image, string Message)
{
    /// <summary>One line naming the container, the image and the failing rule, as the response and audit record show it.</summary>
    public override string ToString()
    {
        var rule = Control is null ? Rule : $"{Rule}/{Control}";
        return Container is null
            ? $"[{rule}] {Message}"
            : $"[{rule}] container \"{Container}\"{(Image is null ? "" : $" image \"{Image}\"")}: {Message}";
    }
}
