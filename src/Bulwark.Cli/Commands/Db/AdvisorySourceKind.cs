namespace Bulwark.Cli.Commands.Db;

/// <summary>The feed formats <c>bulwark db update</c> imports.</summary>
internal enum AdvisorySourceKind
{
    Osv,
    Debian,
    Alpine,
}
