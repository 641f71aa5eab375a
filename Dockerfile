# The keel image: `keel server` by default, any keel command otherwise (ENTRYPOINT keel). It is the
# image `keel deploy kubernetes` manifests run (default tag keel:<version>), with the standalone
# scorer runtime (scorer/) beside the CLI for `keel package`.
#   docker build -t keel:1.0.0 .
#   docker run -p 5000:5000 -v keel-data:/var/lib/keel \
#     -e KEEL_ADMIN_USERNAME=admin -e KEEL_ADMIN_PASSWORD=change-me keel:1.0.0
# See docs/deploy.md ("Docker and compose") and compose.yaml for PostgreSQL + S3.

# --- build: the SDK pinned by global.json restores and publishes the framework-dependent CLI ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig README.md ./
COPY data/ data/
COPY src/ src/
RUN dotnet publish src/Keel.Cli -c Release -o /out -p:DebugType=none

# --- runtime: ASP.NET Core's runtime image, no SDK, no shell tools needed by Keel ---
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /out .
ENV KEEL_DATA_DIR=/var/lib/keel \
    DOTNET_NOLOGO=1
# 1654 is the non-root "app" user of Microsoft's .NET images; numeric so Kubernetes' runAsNonRoot
# can verify it. The data directory (SQLite metadata, artifacts, prediction log) is a volume.
RUN mkdir -p /var/lib/keel && chown 1654:1654 /var/lib/keel
USER 1654:1654
VOLUME ["/var/lib/keel"]
EXPOSE 5000
# A container is reached from outside its loopback, so the default command listens on 0.0.0.0 with
# sign-in on (Keel refuses a non-loopback address without it). The first start needs
# KEEL_ADMIN_USERNAME and KEEL_ADMIN_PASSWORD (the first admin); later starts find the admin in the store.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["dotnet", "/app/keel.dll", "doctor", "--check", "server", "--tracking-uri", "http://127.0.0.1:5000"]
ENTRYPOINT ["dotnet", "/app/keel.dll"]
CMD ["server", "--host", "0.0.0.0", "--port", "5000", "--auth"]
