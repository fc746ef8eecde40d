/** The scan job names an image's SBOM `<file name>@<image digest>`; SBOM files keep their own name. */
export const IMAGE_SBOM_NAME = /@sha256:[0-9a-f]{64}$/;
