import { describe, expect, it } from 'vitest';
import { redactOutputs } from '../../src/im/redact-outputs.js';
import { redactRadl, redactRadlJson } from '../../src/im/redact-radl.js';
import { MASK, redactText } from '../../src/im/redact-text.js';
import { redactTosca } from '../../src/im/redact-tosca.js';

const PEM = `-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun
VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK
LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo
-----END RSA PRIVATE KEY-----`;
const OPENSSH = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACCkBsC4mHmqYQaUi2oz5Mb1DCd8V+XZ2L2O8+Yp0oUWbgAAAJhNvYr9Tb2K
-----END OPENSSH PRIVATE KEY-----`;
const JWT =
  'eyJraWQiOiJyc2ExIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiI3M2YxNmQ5My0yNDQxLTQ1MGItYTU2NS01MjNhOTIzNjE0NjkiLCJpc3MiOiJodHRwczovL2lhbS5leGFtcGxlLm9yZy8ifQ.dGhpc2lzbm90YXJlYWxzaWduYXR1cmVidXRsb29rc2xpa2VvbmU';

const RADL = `network publica ( outbound = 'yes' and proxy_host = 'bastion:Pr0xyPass@gw.example.org' and proxy_key = '${PEM}' )
network privada ( )
system front (
cpu.count>=2 and
memory.size>=4g and
net_interface.0.connection = 'publica' and
net_interface.1.connection = 'privada' and
disk.0.image.url = 'ost://keystone.example.org/5f3e2b1c' and
disk.0.os.credentials.username = 'cloudadm' and
disk.0.os.credentials.password = 'S3cr3t-Pa55' and
disk.0.os.credentials.new.password = "N3w-Pa55" and
disk.0.os.credentials.private_key = '${PEM}' and
disk.0.applications contains (name = 'ansible.modules.grycap.docker')
)
ansible ansible_master ( host = 'ansible.example.org' and credentials.username = 'root' and credentials.password = 'AnsiblePw' )
configure front (
@begin
---
  - vars:
      mysql_root_password: Db-R00t-Pw
    tasks:
      - shell: echo done
@end
)
deploy front 1`;

describe('redactRadl', () => {
  const red = redactRadl(RADL);

  it('masks credentials in every position (old, new, ansible aspect) and keeps the user name', () => {
    for (const secret of ['S3cr3t-Pa55', 'N3w-Pa55', 'AnsiblePw', 'Pr0xyPass', 'MIIEowIBAAKCAQEA', 'Db-R00t-Pw']) {
      expect(red).not.toContain(secret);
    }
    expect(red).toContain("disk.0.os.credentials.username = 'cloudadm'");
    expect(red).toContain(`disk.0.os.credentials.password = '${MASK}'`);
    expect(red).toContain(`disk.0.os.credentials.new.password = "${MASK}"`);
  });

  it('replaces configure recipes wholesale and keeps the rest of the RADL intact', () => {
    expect(red).toContain(`@begin\n${MASK}\n@end`);
    expect(red).toContain("disk.0.image.url = 'ost://keystone.example.org/5f3e2b1c'");
    expect(red).toContain('deploy front 1');
    expect(red).toContain("cpu.count>=2");
  });
});

describe('redactRadlJson', () => {
  it('masks secret keys and PEM-looking values but keeps addresses and names', () => {
    const aspects = [
      { class: 'network', id: 'pub', outbound: 'yes', proxy_host: 'u:p@gw' },
      {
        class: 'system',
        id: 'simple_node',
        'net_interface.1.ip': '90.147.174.56',
        'disk.0.os.credentials.username': 'cloudadm',
        'disk.0.os.credentials.private_key': PEM,
        'disk.0.os.credentials.new.password': 'x',
        instance_tags: 'email=alice@example.org',
        'disk.0.applications': [{ name: 'x', notes: `key dump ${OPENSSH}` }],
      },
      { class: 'configure', id: 'simple_node', recipes: 'mysql_root_password: abc' },
    ];
    const red = redactRadlJson(aspects);
    expect(JSON.stringify(red)).not.toMatch(/MIIEow|b3BlbnNzaC1rZXkt|u:p@gw|mysql_root_password: abc/);
    expect(red[1]['net_interface.1.ip']).toBe('90.147.174.56');
    expect(red[1]['disk.0.os.credentials.username']).toBe('cloudadm');
    expect(red[1]['disk.0.os.credentials.new.password']).toBe(MASK);
    expect(aspects[1]['disk.0.os.credentials.private_key']).toBe(PEM);
  });
});

describe('redactText (contmsg)', () => {
  it('masks PEM blocks, JWTs, URL passwords and key=value secrets in Ansible output', () => {
    const log = [
      '2025-01-15 09:00:00.000000: Select master VM',
      'TASK [Install key] ***',
      `changed: [front] => {"private_key": ${JSON.stringify(PEM)}}`,
      `ok: [front] => {"json": {"access_token": "${JWT}", "token_type": "Bearer"}}`,
      `ok: [front] => (item=db_password=Hunter2)`,
      `admin_secret: 'Very Secret'`,
      `git clone https://deploy:ghp_T0ken@git.example.org/repo.git`,
      OPENSSH,
      'TASK [next] ***',
    ].join('\n');
    const red = redactText(log);
    for (const secret of ['MIIEow', 'b3BlbnNzaC1rZXkt', JWT.slice(0, 30), 'Hunter2', 'Very Secret', 'ghp_T0ken']) {
      expect(red).not.toContain(secret);
    }
    expect(red).toContain('"token_type": "Bearer"');
    expect(red).toContain('2025-01-15 09:00:00.000000: Select master VM');
    expect(red).toContain('TASK [next] ***');
    expect(red).toContain('https://deploy:*****@git.example.org/repo.git');
  });

  it('masks a key cut short and keeps the following lines', () => {
    const red = redactText('-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgO\nTASK [common : x] ok');
    expect(red).toBe(`${MASK}\nTASK [common : x] ok`);
  });

  it('leaves ordinary words that merely contain "key" alone', () => {
    expect(redactText('monkey: banana, keyboard=yes')).toBe('monkey: banana, keyboard=yes');
  });
});

describe('redactTosca', () => {
  const tosca = `tosca_definitions_version: tosca_simple_yaml_1_0
topology_template:
  inputs:
    admin_password:
      type: string
      default: Adm1n-Pw
    iam_client_secret:
      type: string
    num_cpus:
      type: integer
      default: 2
  node_templates:
    app:
      type: tosca.nodes.indigo.Docker
      properties:
        admin_password: { get_input: admin_password }
        registration_access_token: ${JWT}
        s3_access_key: AKIAEXAMPLE
        s3_secret_key: wJalrXUtnFEMI
        ssh_key: "${PEM.replace(/\n/g, '\\n')}"
        environment:
          DB_PASSWORD: plain-db-pw
          GREETING: hello
`;

  it('masks secret defaults and properties, keeps functions and other values, and stays YAML', () => {
    const red = redactTosca(tosca);
    for (const secret of ['Adm1n-Pw', JWT.slice(0, 30), 'AKIAEXAMPLE', 'wJalrXUtnFEMI', 'MIIEow', 'plain-db-pw']) {
      expect(red).not.toContain(secret);
    }
    expect(red).toContain('get_input: admin_password');
    expect(red).toContain('GREETING: hello');
    expect(red).toContain('default: 2');
    expect(red).toContain('tosca_definitions_version: tosca_simple_yaml_1_0');
  });

  it('falls back to free-text masking for a document that is not YAML', () => {
    const red = redactTosca(`<pattern> password: abc ${JWT}`);
    expect(red).not.toContain('abc');
    expect(red).not.toContain(JWT);
  });
});

describe('redactOutputs', () => {
  it('masks credential tokens and secret-named outputs but keeps addresses and URLs', () => {
    const outputs = {
      node_ip: '90.147.174.56',
      node_creds: { user: 'cloudadm', token_type: 'private_key', token: PEM },
      dashboard_url: 'https://90.147.174.56:8443',
      admin_password: 'Gr4fana!',
      notes: `key: ${PEM}`,
      ips: ['10.0.0.1', null],
    };
    const red = redactOutputs(outputs);
    expect(red).toEqual({
      node_ip: '90.147.174.56',
      node_creds: { user: 'cloudadm', token_type: 'private_key', token: MASK },
      dashboard_url: 'https://90.147.174.56:8443',
      admin_password: MASK,
      notes: `key: ${MASK}`,
      ips: ['10.0.0.1', null],
    });
  });
});
