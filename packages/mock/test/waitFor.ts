export { waitFor } from '@kubesmart/wait-for';
