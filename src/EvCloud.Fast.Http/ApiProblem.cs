using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace EvCloud.Fast.Http;

/// <summary>Builds RFC 7807 problem responses with a stable <see cref="ProblemCodes">code</see>.</summary>
public static class ApiProblem
{
    /// <summary>A problem result with <paramref name="code"/> and extra members.</summary>
    public static IResult Create(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var members = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code };
        if (extensions is not null)
        {
            foreach ((string key, object? value) in extensions)
            {
                members[key] = value;
            }
        }

        return TypedResults.Problem(detail, type: TypeOf(code), title: title, statusCode: status, extensions: members);
    }

    /// <summary>The problem <c>type</c> URI of a code.</summary>
    public static string TypeOf(string code) => "urn:evcloud:problem:" + code;

    /// <summary>400 naming the invalid fields.</summary>
    public static IResult Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(
            errors,
            detail ?? "One or more fields are invalid.",
            type: TypeOf(ProblemCodes.ValidationFailed),
            title: "Invalid request",
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = ProblemCodes.ValidationFailed });

    /// <summary>400 for one invalid field.</summary>
    public static IResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    /// <summary>404 for a resource.</summary>
    public static IResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found", what + " does not exist.");

    /// <summary>404 for an unknown charger.</summary>
    public static IResult ChargerNotFound(string chargerId) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.ChargerNotFound, "Unknown charger", "Charger '" + chargerId + "' has never connected and is not registered.");

    /// <summary>Writes a problem directly (authentication handlers, which run outside endpoint results).</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string title, string? detail)
    {
        var problem = new ProblemDetails { Status = status, Type = TypeOf(code), Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }
}
