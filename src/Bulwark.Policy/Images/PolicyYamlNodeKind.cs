namespace Bulwark.Policy.Images;

internal enum PolicyYamlNodeKind
{
    Scalar,
    Sequence,
    Mapping,
}
