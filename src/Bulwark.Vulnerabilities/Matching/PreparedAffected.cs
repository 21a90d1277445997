using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Osv;
using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Matching;

/// <summary>
/// One <c>affected[]</c> entry made ready for many evaluations: every range event parsed once, the listed versions kept
/// as a set of their canonical forms (or parsed, in an ecosystem without one), the
/// events sorted once, the package's index key worked out once. <see cref="OsvRangeEvaluator"/> keeps one per entry
/// for as long as the parsed advisory lives (a scan, or a whole re-match through one snapshot), so that each installed
/// version is parsed once per entry instead of each listed version being parsed again for every comparison. The
/// verdicts are exactly those of comparing the strings.
/// </summary>
internal sealed class PreparedAffected
{
    private readonly OsvAffected _affected;
    private readonly IVersionComparer? _ecosystemComparer;
    private readonly PreparedRange[] _ranges;
    private readonly HashSet<string> _listed;
    private readonly HashSet<string> _listedKeys;
    private readonly object[] _listedParsed;

    public PreparedAffected(OsvAffected affected)
    {
        _affected = affected;
        VersionComparers.TryFor(affected.Package.Ecosystem, out _ecosystemComparer);
        if (!string.IsNullOrEmpty(affected.Package.Ecosystem))
        {
            Ecosystem = EcosystemName.Parse(affected.Package.Ecosystem);
            NormalizedName = PackageNames.Normalize(Ecosystem.Value.Name, affected.Package.Name);
        }

        _ranges = [.. affected.Ranges.Where(r => r.Type != OsvRangeType.Git).Select(r => new PreparedRange(r, r.Type switch
        {
            OsvRangeType.Semver => VersionComparers.SemVer,
            OsvRangeType.Ecosystem => _ecosystemComparer,
            _ => null,
        }))];
        // Listed versions are kept as strings: each one's canonical form when the ecosystem has one (PEP 440: the
        // hundreds of versions a PyPI advisory lists stay strings, not parsed objects alive for the whole pass), parsed
        // only in an ecosystem without one. A listed string that is no version still matches itself exactly.
        _listed = new HashSet<string>(StringComparer.Ordinal);
        _listedKeys = new HashSet<string>(StringComparer.Ordinal);
        var parsed = new List<object>();
        foreach (var listed in affected.Versions)
        {
            if (_ecosystemComparer?.EqualityKey(listed) is { } key)
            {
                _listedKeys.Add(key);
                continue;
            }

            _listed.Add(listed);
            if (_ecosystemComparer is not null && _ecosystemComparer.TryParse(listed, out var version, out _))
            {
                parsed.Add(version);
            }
        }

        _listedParsed = [.. parsed];
    }

    /// <summary>The entry's ecosystem (release normalized), or null when the record names none.</summary>
    public EcosystemName? Ecosystem { get; }

    /// <summary>The entry's package name as the index stores it (<see cref="PackageNames.Normalize"/>).</summary>
    public string? NormalizedName { get; }

    public AffectedVerdict Evaluate(string version) => Evaluate(new InstalledVersion(version));

    /// <summary>The verdict for an installed version parsed once for every entry it is evaluated against (one package's candidates).</summary>
    public AffectedVerdict Evaluate(InstalledVersion parsed)
    {
        var version = parsed.Text;
        var affectedByRange = false;
        List<string>? fixedVersions = null;
        string? problem = null;
        foreach (var range in _ranges)
        {
            if (range.Comparer is not { } comparer)
            {
                problem ??= $"no version ordering for ecosystem '{_affected.Package.Ecosystem}'";
                continue;
            }

            if (parsed.For(comparer) is not { } installed)
            {
                problem ??= $"'{version}' is not a valid {comparer.Ecosystem} version";
                continue;
            }

            if (range.Malformed is { } malformed)
            {
                problem ??= "malformed range: " + malformed;
                continue;
            }

            var (inRange, fix) = range.Evaluate(installed);
            if (inRange)
            {
                affectedByRange = true;
                if (fix is not null)
                {
                    (fixedVersions ??= []).Add(fix);
                }
            }
        }

        var listed = (_listed.Count > 0 || _listedKeys.Count > 0) && IsListed(version, parsed);
        return new AffectedVerdict(affectedByRange || listed, fixedVersions ?? (IReadOnlyList<string>)[], problem);
    }

    private bool IsListed(string version, InstalledVersion parsed)
    {
        if (_listed.Contains(version))
        {
            return true;
        }

        // Equal canonical forms are exactly equal versions; a listed string equal to the installed one has its key too.
        if (_listedKeys.Count > 0 && parsed.KeyFor(_ecosystemComparer!) is { } key && _listedKeys.Contains(key))
        {
            return true;
        }

        if (_ecosystemComparer is null || _listedParsed.Length == 0 || parsed.For(_ecosystemComparer) is not { } installed)
        {
            return false;
        }

        foreach (var listed in _listedParsed)
        {
            if (_ecosystemComparer.CompareParsed(listed, installed) == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One range's events, parsed and in evaluation order; <see cref="Malformed"/> when an event is not a version of its order.</summary>
    private sealed class PreparedRange
    {
        private readonly (OsvEvent Event, object? Version)[] _events = [];

        public PreparedRange(OsvRange range, IVersionComparer? comparer)
        {
            Comparer = comparer;
            if (comparer is null)
            {
                return;
            }

            var events = new List<(OsvEvent Event, object? Version)>(range.Events.Count);
            foreach (var e in range.Events)
            {
                // introduced "0" and limit "*" are not versions; they are never compared.
                if (e.Kind == OsvEventKind.Introduced && e.Version == "0" || e.Kind == OsvEventKind.Limit && e.Version == "*")
                {
                    events.Add((e, null));
                    continue;
                }

                if (!comparer.TryParse(e.Version, out var parsed, out var failure))
                {
                    Malformed = VersionFormatException.For(comparer.Ecosystem, e.Version, failure).Message;
                    return;
                }

                events.Add((e, parsed));
            }

            events.Sort((a, b) => Order(a, b, comparer));
            _events = [.. events];
        }

        public IVersionComparer? Comparer { get; }

        public string? Malformed { get; }

        /// <summary>The OSV evaluation: limits first, then introduced opens, fixed closes, last_affected closes after itself.</summary>
        public (bool Affected, string? Fix) Evaluate(object version)
        {
            var comparer = Comparer!;
            foreach (var (e, limit) in _events)
            {
                if (e.Kind == OsvEventKind.Limit && limit is not null && comparer.CompareParsed(version, limit) >= 0)
                {
                    return (false, null);
                }
            }

            var affected = false;
            foreach (var (e, at) in _events)
            {
                switch (e.Kind)
                {
                    case OsvEventKind.Introduced when at is null || comparer.CompareParsed(version, at) >= 0:
                        affected = true;
                        break;
                    case OsvEventKind.Fixed when comparer.CompareParsed(version, at!) >= 0:
                        affected = false;
                        break;
                    case OsvEventKind.LastAffected when comparer.CompareParsed(version, at!) > 0:
                        affected = false;
                        break;
                }
            }

            if (!affected)
            {
                return (false, null);
            }

            // The fix for this version is the first fixed event above it.
            foreach (var (e, at) in _events)
            {
                if (e.Kind == OsvEventKind.Fixed && comparer.CompareParsed(at!, version) > 0)
                {
                    return (true, e.Version);
                }
            }

            return (true, null);
        }

        private static int Order((OsvEvent Event, object? Version) a, (OsvEvent Event, object? Version) b, IVersionComparer comparer)
        {
            var aZero = a.Event.Kind == OsvEventKind.Introduced && a.Event.Version == "0";
            var bZero = b.Event.Kind == OsvEventKind.Introduced && b.Event.Version == "0";
            if (aZero || bZero)
            {
                return aZero == bZero ? 0 : aZero ? -1 : 1;
            }

            var aAny = a.Event.Kind == OsvEventKind.Limit && a.Event.Version == "*";
            var bAny = b.Event.Kind == OsvEventKind.Limit && b.Event.Version == "*";
            if (aAny)
            {
                return bAny ? 0 : 1;
            }

            return bAny ? -1 : comparer.CompareParsed(a.Version!, b.Version!);
        }
    }
}

/// <summary>
/// An installed version parsed at most once per comparer (a SEMVER range and the ecosystem's own order), and its
/// equality key worked out once: one per package matched, shared by every entry it is evaluated against.
/// </summary>
internal sealed class InstalledVersion(string text)
{
    private IVersionComparer? _first;
    private object? _firstParsed;
    private IVersionComparer? _second;
    private object? _secondParsed;
    private IVersionComparer? _keyed;
    private string? _key;

    public string Text => text;

    public object? For(IVersionComparer comparer)
    {
        if (ReferenceEquals(comparer, _first))
        {
            return _firstParsed;
        }

        if (ReferenceEquals(comparer, _second))
        {
            return _secondParsed;
        }

        var parsed = comparer.TryParse(text, out var value, out _) ? value : null;
        if (_first is null)
        {
            (_first, _firstParsed) = (comparer, parsed);
        }
        else if (_second is null)
        {
            (_second, _secondParsed) = (comparer, parsed);
        }

        return parsed;
    }

    /// <summary>The comparer's <see cref="IVersionComparer.EqualityKey"/> of the text, kept for one comparer.</summary>
    public string? KeyFor(IVersionComparer comparer)
    {
        if (!ReferenceEquals(comparer, _keyed))
        {
            (_keyed, _key) = (comparer, comparer.EqualityKey(text));
        }

        return _key;
    }
}
