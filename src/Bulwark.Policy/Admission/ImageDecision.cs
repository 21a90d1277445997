namespace Bulwark.Policy.Admission;

/// <summary>Bulwark's verdict on one image manifest, as the admission webhook reads it.</summary>
public enum ImageDecision
{
    /// <summary>Scanned and passing policy: may run.</summary>
    Pass,

    /// <summary>Scanned and failing policy (quarantined).</summary>
    Fail,

    /// <summary>Known but not decided yet (scan queued or running).</summary>
    Pending,

    /// <summary>Nothing is known about the image's scan.</summary>
    Unknown,
}
