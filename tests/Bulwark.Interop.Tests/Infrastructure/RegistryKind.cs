namespace Bulwark.Interop.Tests.Infrastructure;

/// <summary>Which registry implementation the live-registry fixture runs.</summary>
public enum RegistryKind
{
    /// <summary>Our own <c>bulwark serve</c> (the default).</summary>
    Bulwark,

    /// <summary>CNCF Distribution (Debian's <c>docker-registry</c>), the reference to compare with.</summary>
    Distribution,
}
