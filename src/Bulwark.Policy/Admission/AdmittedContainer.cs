namespace Bulwark.Policy.Admission;

/// <summary>A container of the judged pod with the JSON pointer (RFC 6901) of its <c>image</c> field in the reviewed object.</summary>
public sealed record AdmittedContainer(string Name, string? Image, string ImagePointer);
