# The keel image that `keel deploy kubernetes` manifests run (default tag keel:<version>):
#   docker build -t keel:1.0.0 .
# It holds the CLI and server (ENTRYPOINT keel) and the standalone scorer runtime beside it.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Keel.Cli -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out .
ENV KEEL_DATA_DIR=/var/lib/keel
RUN mkdir -p /var/lib/keel && chown "$APP_UID" /var/lib/keel
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/keel.dll"]
CMD ["server", "--host", "0.0.0.0", "--port", "8080"]
