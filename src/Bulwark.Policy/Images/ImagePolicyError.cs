using System.Globalization;

namespace Bulwark.Policy.Images;

/// <summary>
/// One problem in a policy document: where (the path such as <c>spec.rules[2].vulnerabilities.maximumSeverity</c>,
/// and the 1-based line and column; 0 when the problem is the whole input) and what.
/// </summary>
public sealed record ImagePolicyError(string Path, int Line, int Column, string Message)
{
    public override string ToString()
    {
        var where = Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {Column}: ") : "";
        return Path.Length > 0 ? $"{where}{Path}: {Message}" : where + Message;
    }
}
