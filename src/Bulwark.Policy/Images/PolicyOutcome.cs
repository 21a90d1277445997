namespace Bulwark.Policy.Images;

public enum PolicyOutcome
{
    Pass,
    Fail,
}
