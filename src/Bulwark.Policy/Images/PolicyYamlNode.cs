namespace Bulwark.Policy.Images;

/// <summary>A node of a policy document as written: its kind, value or children, and where it starts (1-based line and column).</summary>
internal sealed class PolicyYamlNode
{
    public required PolicyYamlNodeKind Kind { get; init; }

    public required int Line { get; init; }

    public required int Column { get; init; }

    /// <summary>The scalar's text (for <see cref="PolicyYamlNodeKind.Scalar"/>).</summary>
    public string Value { get; init; } = "";

    /// <summary>True for a quoted scalar: <c>"90"</c> is a string, <c>90</c> may be a number.</summary>
    public bool Quoted { get; init; }

    public List<PolicyYamlNode> Items { get; } = [];

    /// <summary>Key-value pairs in document order (for <see cref="PolicyYamlNodeKind.Mapping"/>).</summary>
    public List<(PolicyYamlNode Key, PolicyYamlNode Value)> Entries { get; } = [];

    /// <summary>A plain scalar that YAML resolves to null (<c>~</c>, <c>null</c>, or nothing).</summary>
    public bool IsNull => Kind == PolicyYamlNodeKind.Scalar && !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";
}
