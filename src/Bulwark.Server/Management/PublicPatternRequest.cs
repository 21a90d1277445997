namespace Bulwark.Server.Management;

public sealed record PublicPatternRequest(string Pattern);
