using Bulwark.Identity.Authentication;
using Bulwark.Identity.Management;
using Bulwark.Identity.Storage;
using Bulwark.Identity.Throttling;
using Bulwark.Identity.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bulwark.Identity;

/// <summary>Registers principals, permissions and the token service.</summary>
public static class IdentityServiceCollectionExtensions
{
    public static IServiceCollection AddBulwarkIdentity(this IServiceCollection services, IdentityOptions options,
        Action<DbContextOptionsBuilder> configureDatabase)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddPooledDbContextFactory<IdentityDbContext>(configureDatabase);
        services.AddSingleton(_ => SigningKeyStore.LoadOrCreate(options.SigningKeyPath));
        services.AddSingleton(options.Throttle);
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<IdentityChangeCounter>();
        services.AddSingleton<CredentialVerifier>();
        services.AddSingleton<PermissionResolver>();
        services.AddSingleton<RefreshTokenService>();
        services.AddSingleton<LoginGate>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<AccessTokenValidator>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<PrincipalDirectory>();
        services.AddSingleton<AccessDirectory>();
        return services;
    }
}
