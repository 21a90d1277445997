using Bulwark.Identity.Principals;

namespace Bulwark.Identity.Authentication;

/// <summary>The result of a login: the principal, or a refusal, and when throttled how long to wait.</summary>
public sealed record LoginOutcome(PrincipalRef? Principal, TimeSpan? RetryAfter)
{
    public bool Succeeded => Principal is not null;

    public bool Throttled => RetryAfter is not null;
}
