namespace EvCloud.Fast.Ocpp.Codegen;

/// <summary>One generated source file: its path relative to the output folder (<c>V16/BootNotificationRequest.cs</c>) and its text.</summary>
public sealed record GeneratedFile(string RelativePath, string Content);
