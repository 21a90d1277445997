using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Bulwark.Policy.Images;

/// <summary>
/// Reads one policy document into a <see cref="PolicyYamlNode"/> tree that keeps every node's position. Anchors and
/// aliases are refused (a policy has no use for them, and refusing them rules out "billion laughs" expansion); depth
/// and node count are bounded while reading.
/// </summary>
internal static class PolicyYamlReader
{
    /// <exception cref="ImagePolicyFormatException">Not YAML, more than one document, an alias, or over a limit.</exception>
    public static PolicyYamlNode? Read(string text, ImagePolicyLimits limits)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, limits);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var next = parser.Current!;
                throw new ImagePolicyFormatException(new ImagePolicyError("", Line(next.Start), Column(next.Start),
                    "a policy file holds one YAML document"));
            }

            return root;
        }
        catch (YamlException e)
        {
            throw new ImagePolicyFormatException(new ImagePolicyError("", Line(e.Start), Column(e.Start), $"not valid YAML: {e.Message}"));
        }
    }

    private static PolicyYamlNode ReadNode(IParser parser, ImagePolicyLimits limits)
    {
        var stack = new Stack<(PolicyYamlNode Node, PolicyYamlNode? PendingKey)>();
        var count = 0;
        while (true)
        {
            var current = parser.Consume<ParsingEvent>();
            if (current is AnchorAlias || current is NodeEvent { Anchor.IsEmpty: false })
            {
                throw Error(current.Start, "YAML anchors and aliases are not allowed in a policy");
            }

            if (++count > limits.MaxNodes)
            {
                throw Error(current.Start, $"more than {limits.MaxNodes} YAML nodes");
            }

            PolicyYamlNode? completed;
            switch (current)
            {
                case Scalar scalar:
                    completed = new PolicyYamlNode
                    {
                        Kind = PolicyYamlNodeKind.Scalar,
                        Line = Line(scalar.Start),
                        Column = Column(scalar.Start),
                        Value = scalar.Value,
                        Quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded,
                    };
                    break;
                case SequenceStart or MappingStart:
                    if (stack.Count >= limits.MaxDepth)
                    {
                        throw Error(current.Start, $"nesting deeper than {limits.MaxDepth} levels");
                    }

                    stack.Push((new PolicyYamlNode
                    {
                        Kind = current is SequenceStart ? PolicyYamlNodeKind.Sequence : PolicyYamlNodeKind.Mapping,
                        Line = Line(current.Start),
                        Column = Column(current.Start),
                    }, null));
                    continue;
                case SequenceEnd or MappingEnd:
                    completed = stack.Pop().Node;
                    break;
                default:
                    throw Error(current.Start, $"unexpected YAML event {current.GetType().Name}");
            }

            if (stack.Count == 0)
            {
                return completed;
            }

            var (parent, pendingKey) = stack.Pop();
            if (parent.Kind == PolicyYamlNodeKind.Sequence)
            {
                parent.Items.Add(completed);
                stack.Push((parent, null));
            }
            else if (pendingKey is null)
            {
                stack.Push((parent, completed));
            }
            else
            {
                parent.Entries.Add((pendingKey, completed));
                stack.Push((parent, null));
            }
        }
    }

    private static ImagePolicyFormatException Error(Mark mark, string message) =>
        new(new ImagePolicyError("", Line(mark), Column(mark), message));

    private static int Line(Mark mark) => (int)Math.Min(int.MaxValue, mark.Line);

    private static int Column(Mark mark) => (int)Math.Min(int.MaxValue, mark.Column);
}
