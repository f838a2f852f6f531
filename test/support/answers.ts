// Answer sets the tests share: one spelling per pipeline shape, so the suites that prove the same
// shape (one service or several) generate it alike.

/** Push mode: helm upgrade from the workflow into EKS, images in ECR (OIDC for both). */
export const PUSH_ON_EKS: readonly string[] = ["--mode", "push", "--cluster", "eks", "--registry", "ecr", "--aws-account-id", "123456789012"];
