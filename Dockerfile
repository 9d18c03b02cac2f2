# The one binary, static (gomlx's simplego backend is pure Go), on distroless.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/scale ./cmd/scale

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/scale /scale
ENV SCALE_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/scale"]
CMD ["serve"]
