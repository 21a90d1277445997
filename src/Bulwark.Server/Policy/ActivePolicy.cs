using Bulwark.Policy.Images;

namespace Bulwark.Server.Policy;

/// <summary>
/// The newest version of one stored policy, parsed; <see cref="Document"/> is null when a stored version no longer
/// parses (it then fails every image it could apply to, rather than silently letting them through).
/// </summary>
public sealed record ActivePolicy(string Name, int Version, ImagePolicyDocument? Document)
{
    /// <summary><c>name@version</c>, as decisions record it.</summary>
    public string Label => $"{Name}@{Version}";
}
