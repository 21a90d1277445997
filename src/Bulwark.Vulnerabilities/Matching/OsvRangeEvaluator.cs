using System.Runtime.CompilerServices;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Matching;

/// <summary>
/// Decides whether a version falls in an <c>affected[]</c> entry, following the OSV schema's evaluation rules:
/// events sorted by the range's ordering with <c>introduced: "0"</c> first; <c>introduced</c> opens, <c>fixed</c>
/// closes exclusively, <c>last_affected</c> closes inclusively, <c>limit</c> caps the range; the version is
/// affected if any range or the explicit <c>versions</c> list says so. GIT ranges name commits, not releases, and
/// are skipped. A range with an event that is not a version of its ordering is reported as malformed.
/// </summary>
/// <remarks>
/// Each entry is prepared once (<see cref="PreparedAffected"/>: its versions parsed, its events sorted) and kept with
/// the entry for as long as the entry lives, so evaluating many installed versions against one parsed advisory — a
/// scan, or a re-match of every stored image through one snapshot — parses the advisory's versions once.
/// </remarks>
public static class OsvRangeEvaluator
{
    private static readonly ConditionalWeakTable<OsvAffected, PreparedAffected> Prepared = new();

    public static AffectedVerdict Evaluate(OsvAffected affected, string version)
    {
        ArgumentNullException.ThrowIfNull(affected);
        ArgumentNullException.ThrowIfNull(version);
        return Prepare(affected).Evaluate(version);
    }

    /// <summary>The prepared form of an entry, made at its first use.</summary>
    internal static PreparedAffected Prepare(OsvAffected affected) => Prepared.GetValue(affected, static a => new PreparedAffected(a));
}
