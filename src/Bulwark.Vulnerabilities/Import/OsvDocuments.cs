using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Import;

/// <summary>Turns one OSV file's bytes into an import entry: the advisory, or the reason it is rejected.</summary>
internal static class OsvDocuments
{
    public static AdvisoryEntry Parse(string origin, byte[] bytes, OsvLimits? limits)
    {
        try
        {
            return AdvisoryEntry.Accepted(origin, OsvParser.Parse(bytes, limits));
        }
        catch (OsvFormatException e)
        {
            return AdvisoryEntry.Rejected(origin, e.Message);
        }
    }
}
