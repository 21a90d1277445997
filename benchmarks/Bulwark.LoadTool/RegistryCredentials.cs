namespace Bulwark.LoadTool;

/// <summary>A user name and password for HTTP Basic auth or for the Docker token service.</summary>
public sealed record RegistryCredentials(string UserName, string Password)
{
    /// <summary>Deliberately hides the password so that printing options never shows it.</summary>
    public override string ToString() => $"{UserName}:***";
}
