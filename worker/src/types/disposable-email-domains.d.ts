// The package ships a JSON array of domains and no types.
declare module 'disposable-email-domains' {
  const domains: string[]
  export default domains
}
