namespace Bulwark.Vulnerabilities.Osv;

/// <summary>A <c>references[]</c> entry: the kind of page (<c>ADVISORY</c>, <c>ARTICLE</c>, <c>FIX</c>, <c>REPORT</c>, <c>WEB</c>…) and its URL.</summary>
public sealed record OsvReference(string Type, string Url);
